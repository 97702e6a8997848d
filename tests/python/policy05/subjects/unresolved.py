"""A subject importing a module that no distribution provides."""
import importspy_differential_no_such_module
