"""People, their sign-in and the roles they hold."""
