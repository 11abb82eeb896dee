"""The plain-text editions: :mod:`~toolkit.text.edition` writes them, :mod:`~toolkit.text.sidecar`
makes them in a second process when a build has one document to make."""
