"""Run after a seed (SHOP_DB set): the shop's own ORM queries, full_clean() on every row of every
model, and each model's admin changelist rendered for a superuser made now -> one JSON document
on stdout."""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djshop.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from shop.models import Customer, Order, OrderLine, Product  # noqa: E402

MODELS = (Customer, Product, Order, OrderLine)


def main() -> None:
    invalid: list[str] = []
    for model in MODELS:
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except ValidationError as err:
                invalid.append(f"{model.__name__} {obj.pk}: {err.message_dict}")
    admin = User.objects.create_superuser("admin", "admin@example.com", "pw")
    client = Client()
    client.force_login(admin)
    pages = {
        m.__name__: client.get(f"/admin/shop/{m._meta.model_name}/").status_code for m in MODELS
    }
    new_orders = Order.objects.filter(state="new").values("customer").annotate(n=Count("id"))
    out = {
        "counts": {m.__name__: m.objects.count() for m in MODELS},
        "pro": Customer.objects.filter(tier="pro").count(),
        "tiers": sorted(set(Customer.objects.values_list("tier", flat=True))),
        "statuses": sorted(set(Product.objects.values_list("status", flat=True))),
        "states": sorted(set(Order.objects.values_list("state", flat=True))),
        "referred": Customer.objects.filter(referred_by__isnull=False).count(),
        "most_new_orders_of_one_customer": max((r["n"] for r in new_orders), default=0),
        "invalid": invalid[:20],
        "invalid_count": len(invalid),
        "admin": pages,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
