json = 'text'
import os as json
