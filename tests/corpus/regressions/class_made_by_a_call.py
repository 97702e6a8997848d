Plugin = type('Plugin', (), {})
