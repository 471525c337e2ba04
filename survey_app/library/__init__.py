"""The instrument library: the instruments bundled with the app, checked and shown."""
