"""What tests share: fixtures (loaded as pytest plugins by tests/conftest.py), fakes and factories."""
