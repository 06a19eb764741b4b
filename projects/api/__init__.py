"""REST API for projects and their plans: projects, phases, deliverables, dependencies
and baselines.

Reads follow DESIGN §1: objects come from `visible_to` (others are 404s); the fee goes
to those who may see prices, planned hours (in total and by discipline) only to those
who may see costs, each audience through its own serializer class so the schema
documents exactly what each one receives. Writes go through the same services as the
pages (`projects.services`): production managers and executives write, everyone else
who may see the object gets 403. A service's refusal is a 400 in DRF's field-error
format; a stale `version` is a 409 with the object as it is now.
"""

from .baselines import BaselineViewSet
from .deliverables import DeliverableViewSet
from .dependencies import DependencyViewSet
from .phases import PhaseViewSet
from .projects import ProjectViewSet
from .refs import BrandRefSerializer, DeliverableTypeRefSerializer, ProjectRefSerializer

__all__ = [
    "BaselineViewSet",
    "BrandRefSerializer",
    "DeliverableTypeRefSerializer",
    "DeliverableViewSet",
    "DependencyViewSet",
    "PhaseViewSet",
    "ProjectRefSerializer",
    "ProjectViewSet",
]
