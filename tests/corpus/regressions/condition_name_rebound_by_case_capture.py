match 1:
    case TYPE_CHECKING:
        pass
if TYPE_CHECKING:
    import subprocess
