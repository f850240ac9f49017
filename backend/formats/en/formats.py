"""English dates written out, day first ("7 December 2026"), as in the Chinese pages
("2026年12月7日"): a date like 12/07/2026 reads as July to half the world. Times in 24 hours.
Input formats stay Django's."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
