__import__('subprocess')
