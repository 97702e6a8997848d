import demo_dist
import editable_dist
import vcs_dist
