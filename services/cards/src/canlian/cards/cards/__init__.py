"""Cards (残疾人证) through their life: issue, replace, reissue, change, transfer, cancel,
expire; the card number."""
