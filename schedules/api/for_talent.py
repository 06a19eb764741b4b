"""Who a write for one person is for: the talent the request names, among the people the
caller may see, or else the caller's own talent profile."""

from rest_framework import serializers

from studio.models import Talent


# A body with an optional `talent`: once the rest is valid, a missing one is the caller's
# own profile, and without one `talent` answers `talent_missing`. (Not a docstring: the
# schema would show it as the description of every body built on this one.)
class ForTalentSerializer(serializers.Serializer):
    talent = serializers.PrimaryKeyRelatedField(queryset=Talent.objects.none(), required=False)
    talent_help = ""
    talent_missing = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].help_text = self.talent_help
        # No request when the schema is generated; the field keeps its empty queryset then.
        if request := self.context.get("request"):
            self.fields["talent"].queryset = Talent.objects.visible_to(request.user)

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs.get("talent") is None:
            attrs["talent"] = Talent.objects.filter(user=self.context["request"].user).first()
            if attrs["talent"] is None:
                raise serializers.ValidationError({"talent": [self.talent_missing]})
        return attrs
