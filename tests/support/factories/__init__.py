"""Test data per app, made with factory-boy or through the app's own services."""
