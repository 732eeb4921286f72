"""What every stage shares: the one user-error type and the safe writing of files."""
