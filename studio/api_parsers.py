"""The API's JSON parser (the default in REST_FRAMEWORK settings)."""

import json

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONTextParser(JSONParser):
    """JSON whose strings are all text. A lone surrogate (`"\\ud800"`) is valid JSON but
    not text: left in, it fails only later, with a 500, when the answer (a choice field
    echoes what it was given) or the database has to encode it."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError as error:
            raise ParseError(_("JSON parse error - strings must be text (no lone surrogates).")) from error
        return data
