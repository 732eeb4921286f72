"""Facts about one client: the facts file, checked and normalised, and the interview that writes it."""
