"""XLSForms for tests, written as Markdown tables (pyxform's own test style)."""

SIMPLE = """
| survey |
|        | type     | name  | label |
|        | text     | name  | Name  |
|        | geopoint | where | Where |
|        | image    | photo | Photo |
| settings |
|          | form_id | version | form_title  |
|          | simple  | 1       | Simple form |
"""

SIMPLE_V2 = SIMPLE.replace("| 1       |", "| 2       |").replace("Name  |", "Full name |")
SIMPLE_V1_CHANGED = SIMPLE.replace("Name  |", "Your name |")

WITH_MEDIA = """
| survey |
|        | type                         | name  | label | media::image |
|        | text                         | name  | Name  | logo.png     |
|        | select_one_from_file crops.csv | crop | Crop  |              |
| settings |
|          | form_id    | version |
|          | with_media | 1       |
"""

REGISTRATION = """
| survey |
|        | type     | name     | label    | save_to   |
|        | text     | village  | Village  | village   |
|        | text     | hh_code  | Code     | hh_code   |
|        | text     | head     | Head     | head_name |
|        | integer  | size     | Size     | hh_size   |
|        | geopoint | location | Location | geometry  |
| entities |
|          | list_name  | label                          |
|          | households | concat(${hh_code}, ' ', ${head}) |
| settings |
|          | form_id  | version |
|          | register | 1       |
"""

VISIT = """
| survey |
|        | type                                | name   | label  | save_to     |
|        | select_one_from_file households.csv | hh     | HH     |             |
|        | integer                             | size   | Size   | hh_size     |
|        | decimal                             | income | Income | income_pc   |
|        | text                                | grade  | Grade  | house_grade |
| entities |
|          | list_name  | entity_id |
|          | households | ${hh}     |
| settings |
|          | form_id | version |
|          | visit   | 1       |
"""


EXTERNAL_CHOICES = """
| survey |
|        | type                   | name    | label   | choice_filter |
|        | select_one county      | county  | County  |               |
|        | select_one_external town | town  | Town    | county=${county} |
| choices |
|         | list_name | name | label |
|         | county    | a    | A     |
| external_choices |
|                  | list_name | name | label | county |
|                  | town      | t1   | T1    | a      |
| settings |
|          | form_id | version |
|          | ext     | 1       |
"""

UNKNOWN_TYPE = """
| survey |
|        | type | name | label |
|        | text | ok   | OK    |
|        | foo  | bad  | Bad   |
"""
