"""Types a checker must see precisely (not Any): each reveal_type line is compared by the test."""
import importspy

reveal_type(importspy.ContractError("x").file)
reveal_type(importspy.ContractViolation("x").report)
reveal_type(importspy.SourceError("x").line)
reveal_type(importspy.check("plugin.py", "spymodel.yml").violations)
reveal_type(importspy.Spy().importspy(filepath="spymodel.yml"))
reveal_type(importspy.install({"plugins.*": "plugin.yml"}))
reveal_type(importspy.load_entry_points("app.plugins").rejected)
