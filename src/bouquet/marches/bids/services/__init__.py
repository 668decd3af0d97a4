"""Use cases of the bids context, one module each; views, commands and tasks call these only."""
