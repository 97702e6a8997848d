import sys

from bookshop.api import views
from bookshop.services._pricing import with_tax


def main() -> None:
    print(views.order_page(int(sys.argv[1])), with_tax(1.0))


if __name__ == "__main__":
    main()
