"""Hand-written methods of the namespaces that are more than one call (see
``overrides/namespaces/README.md``); each generated namespace class derives from its class here."""
