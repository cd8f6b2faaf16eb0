"""Tables of answers of the exercises' other variants, one module per variant, as in checks/variants/."""
