"""Short references to projects, brands and deliverable types, for other serializers
(here and in the apps above) to nest."""

from rest_framework import serializers

from studio.models import Brand

from ..models import DeliverableType, Project


class BrandRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "name"]
        read_only_fields = fields


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DeliverableTypeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliverableType
        fields = ["id", "name", "unit_name"]
        read_only_fields = fields
