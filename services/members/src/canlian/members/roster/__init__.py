"""The roster (花名册): a county's spreadsheet imported row by row, the template, the masked
export."""
