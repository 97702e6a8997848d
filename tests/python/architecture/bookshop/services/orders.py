from typing import TYPE_CHECKING

from bookshop.db import models
from bookshop.services._pricing import with_tax

if TYPE_CHECKING:
    from bookshop.services.billing import Invoice


def total(order_id: int) -> float:
    return with_tax(models.price_of(order_id))


def invoice(order_id: int) -> "Invoice":
    from bookshop.services import billing

    return billing.Invoice(order_id, total(order_id))
