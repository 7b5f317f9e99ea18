"""Every documented limit of a Yeastar custom Helpdesk template, named once.

The model enforces the hard count limits at construction, validation reports the rest, and the
forms show them as hints, all from these constants. Each comment says where the number is
documented: "product" is ``add-a-helpdesk-integration-template.txt`` (the Yeastar help page),
"format" is ``yeastar-template-format.md`` (the XML reference, with its evidence tags).
"""

from __future__ import annotations

# product "Requirements and restrictions": up to 10 custom Helpdesk templates; format 0, 2.7 [D].
MAX_TEMPLATES = 10

# product "Configure authentication method": "Supports up to 5 custom fields"; format 2.4 [B].
MAX_CUSTOM_FIELDS = 5

# product "(Optional) Configure request headers": "up to 20 custom headers"; format 2.7 [B].
MAX_HEADERS = 20

# product "Pagination Type": "a maximum of 100 requests ... in a single synchronization"; format 2.6.
MAX_SYNC_REQUESTS = 100

# product "Configure general settings": logo "File size: Less than 500KB".
LOGO_MAX_BYTES = 500 * 1024

# product "Configure general settings": logo "File format: PNG (recommended), JPG, or JPEG".
LOGO_FORMATS = ("png", "jpg", "jpeg")

# product "Configure general settings": logo "Suggested Resolution: 150 x 150" (a warning).
LOGO_SUGGESTED_SIZE = (150, 150)

# product "OAuth2 ... Token Refresh Time (min)": blank means every 25 minutes; format 2.7 [B].
DEFAULT_REFRESH_MINUTES = 25

# format 2.1 [S]: the sample's MaxConcurrentRequest; the product only says "maximum number".
DEFAULT_MAX_CONCURRENT_REQUESTS = 10

# product "Add follow-up requests" and "Contact Field Mapping": comma separated paths/variables.
LIST_SEPARATOR = ","

# format 3.3 [D] (P-Series contacts CSV reference): PBX contact field lengths, in characters.
NAME_MAX_CHARS = 63  # First Name, Last Name each
FULL_NAME_MAX_CHARS = 127  # First + Last together
COMPANY_MAX_CHARS = 127
EMAIL_MAX_CHARS = 255
NUMBER_MAX_CHARS = 31  # every phone/fax number field
NUMBER_ALLOWED_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz().-+*#"
REMARK_MAX_CHARS = 1024
ADDRESS_MAX_CHARS = 255  # Zip, Street, City, State, Country

# format 2.5 [S][I]: methods seen in the sample (GET, POST, PUT, PATCH) plus DELETE.
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# --------------------------------------------------------------------------- hdkit's own input limits
# Not the PBX's numbers: hdkit refuses input beyond these so that a hostile or broken file
# costs a clear error, never memory, time or a traceback. Each is far above what a template needs.

# A template file: the samples are 5-15 KB and the biggest corpus template under 60 KB; reading is
# bounded here (at most this + 1 bytes are read) so that /dev/zero or a 1 GB file is refused unread.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024

# Element nesting of a template file: a template is 7 levels deep (Information > Scenarios >
# Scenario > Requests > Request > Parameters > Parameter); reading, keeping and writing back
# unknown elements recurses once per level, so 5,000 nested elements must stop at the parser.
MAX_XML_DEPTH = 100

# A logo file name: most filesystems allow 255 bytes per name (NAME_MAX), and load()/save()
# read and write the logo beside the template under this name.
LOGO_NAME_MAX_BYTES = 255

# Actions ({{...}}) in one template value: a request body uses tens; the checks are linear, and
# this bounds the time one hostile value (200,000 actions) can cost validation.
MAX_ACTIONS_PER_VALUE = 10_000

# The PBX is written in Go, which reads numbers as 64-bit integers (strconv.ParseInt, base 10).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
