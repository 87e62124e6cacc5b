"""Every shop model in the admin (the tests render each changelist)."""

from django.contrib import admin

from shop.models import Customer, Order, OrderLine, Product


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "tier", "referred_by")
    list_filter = ("tier",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "title", "price", "status")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("customer", "number", "state", "placed")


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ("order", "product", "quantity")
