"""The entity lists the server keeps itself, rather than taking them from a form's attachments."""

# The household registry (backend/households): forms attach it as households.csv.
HOUSEHOLD_LIST = "households"
