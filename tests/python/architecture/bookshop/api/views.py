from bookshop.services import orders


def order_page(order_id: int) -> str:
    return f"order {order_id}: {orders.total(order_id)}"
