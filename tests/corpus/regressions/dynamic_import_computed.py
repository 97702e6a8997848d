name = 'sub' + 'process'
mod = __import__(name)
