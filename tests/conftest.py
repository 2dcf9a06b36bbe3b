"""Shared by the whole suite.

- ``tests._secrets``: the secret guard. Any test whose logs (every logger, every level), output or
  failure text show a token the client was given (or ``spheron.testing.DEFAULT_TOKEN``) fails;
  ``@pytest.mark.prints_token`` allows a test to print ``DEFAULT_TOKEN`` on purpose.
- ``pytester``: for the tests that prove the guard works (``tests/secrets``).
"""

pytest_plugins = ["pytester", "tests._secrets"]
