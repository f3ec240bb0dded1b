"""The staff desk (issue 11): server-rendered pages over the services and stage flows."""
