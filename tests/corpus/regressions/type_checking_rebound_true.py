TYPE_CHECKING = True
if TYPE_CHECKING:
    x = 1
else:
    x = 2
