"""Letter templates (.docx, in letters/) and the script that builds them (build_letters)."""
