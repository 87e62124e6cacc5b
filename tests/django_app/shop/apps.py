"""The shop app's AppConfig."""

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
