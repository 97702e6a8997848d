"""A subject importing three installed distributions."""
import demo_dist
import editable_dist
import vcs_dist
