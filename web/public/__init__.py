"""The public site: what anyone may see without an account (report online, follow a report by
number, verify a letter, the kajian awal results). A separate app from the staff desk, served on
its own port, so an office can put it on the internet and keep the desk inside."""
