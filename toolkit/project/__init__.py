"""The project: an edition's folder and settings (:mod:`.config`), the folders the toolkit reads
and writes (:mod:`.paths`), and ``teikit init`` (:mod:`.scaffold`)."""

from toolkit.project.config import Project, is_project, load_project

__all__ = ["Project", "is_project", "load_project"]
