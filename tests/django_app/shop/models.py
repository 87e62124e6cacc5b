"""The shop's models: what --models reads (choices with no CHECK in the database, validators,
EmailField / SlugField / URLField / GenericIPAddressField, unique_together, a conditional
UniqueConstraint, a CheckConstraint, a self-referencing FK)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q


class Customer(models.Model):
    class Tier(models.TextChoices):
        FREE = "free", "Free"
        PRO = "pro", "Pro"
        ENTERPRISE = "enterprise", "Enterprise"

    name = models.CharField(max_length=80)
    email = models.EmailField(unique=True)
    handle = models.SlugField(max_length=40, unique=True)
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.FREE)
    homepage = models.URLField(blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    external_id = models.UUIDField(default=uuid.uuid4, unique=True)
    credit = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    age = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(18), MaxValueValidator(99)]
    )
    phone = models.CharField(max_length=16, validators=[RegexValidator(r"^\+[0-9]{7,14}\Z")])
    preferences = models.JSONField(default=dict, blank=True)
    joined = models.DateField(auto_now_add=True)
    referred_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Status(models.IntegerChoices):
        DRAFT = 0, "Draft"
        LIVE = 1, "Live"
        RETIRED = 2, "Retired"

    sku = models.CharField(
        max_length=8, unique=True, validators=[RegexValidator(r"^[A-Z]{3}-[0-9]{4}$")]
    )
    title = models.CharField(max_length=100)
    price = models.DecimalField(
        max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.50"))]
    )
    status = models.IntegerField(choices=Status.choices)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="price_not_negative")]

    def __str__(self) -> str:
        return self.sku


class Order(models.Model):
    STATES = [("new", "New"), ("paid", "Paid"), ("shipped", "Shipped")]

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    number = models.PositiveIntegerField(validators=[MaxValueValidator(9999)])
    state = models.CharField(max_length=8, choices=STATES)
    placed = models.DateTimeField()

    class Meta:
        unique_together = [("customer", "number")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(state="new"), name="one_new_order_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "product"], name="line_once")]
