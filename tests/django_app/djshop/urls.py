"""The test project's URLs: the admin (its changelists are rendered by the tests)."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
