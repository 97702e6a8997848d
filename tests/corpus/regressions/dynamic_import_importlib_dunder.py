import importlib
importlib.__import__('subprocess')
