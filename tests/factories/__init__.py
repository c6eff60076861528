"""Test data factories, one module per app (wagtail-factories / factory-boy)."""
