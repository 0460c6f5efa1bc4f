"""The partner API's fixtures (sahel, partner, key, api, anon) are suite-wide: tests/conftest.py."""
