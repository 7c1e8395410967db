package ketencheck.rules.special_category_data

import data.ketencheck.lib.catalogue
import data.ketencheck.lib.result
import data.ketencheck.lib.sensitive

# METADATA
# scope: document
# title: Special-category data without an exception
# description: >-
#   Processing special categories of personal data (religion, sexual orientation, political opinion,
#   ethnicity, health, biometrics: here asylum motives and their assessment) is prohibited unless an
#   exception of AVG art. 9(2) applies. A special field may flow only where a matrix row admits it, and
#   the flow must cite that row's exception (vw_107a with vv_7_1b or vv_7_1c, avg_9_2_a consent, avg_9_2_f
#   for courts), and for biometrie its own ground, vw_107_2_a (Vw 2000 art. 107(4) excludes facial images and
#   fingerprints). The rows for the alien's own lawyer and guardian list none: they act for the data subject.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: AVG art. 9
#   - ref: https://wetten.overheid.nl/BWBR0011823/2026-09-01#Hoofdstuk7_Artikel107a
#     description: Vw 2000 art. 107a
# custom:
#   severity: error
#   nl:
#     title: Bijzondere persoonsgegevens zonder uitzondering
#     description: >-
#       Bijzondere persoonsgegevens (religie, seksuele gerichtheid, politieke opvatting, etniciteit, gezondheid,
#       biometrie; hier ook het asielmotief en de beoordeling daarvan) mogen niet worden verwerkt, tenzij een
#       uitzondering van AVG art. 9 lid 2 geldt. Een bijzonder veld mag alleen worden verstrekt als een matrixrij het
#       toelaat. De verstrekking moet dan de uitzondering van die rij noemen: artikel 107a Vreemdelingenwet 2000 met
#       artikel 7.1b of 7.1c Voorschrift Vreemdelingen 2000, uitdrukkelijke toestemming (AVG art. 9 lid 2 onder a) of
#       rechtspraak (AVG art. 9 lid 2 onder f). Biometrie heeft een eigen grondslag nodig: artikel 107 lid 2 onder a
#       Vreemdelingenwet 2000, want lid 4 sluit gezichtsopnames en vingerafdrukken uit. De rijen voor de eigen advocaat
#       en de voogd noemen geen uitzondering: zij handelen voor de betrokkene.
#   legal_refs:
#     - avg_9_1
#     - vw_107a
deny contains finding if {
	some flow in sensitive.carrying.special
	unadmitted := sensitive.unadmitted(flow, "special")
	arguments := {"recipient": flow.to, "fields": sort(unadmitted), "document": flow.document, "purpose": flow.purpose}
	finding := result.finding(rego.metadata.chain(), flow, {"fields": sort(unadmitted)}, "special_category_data.not_admitted", arguments)
}

deny contains finding if {
	some flow in sensitive.carrying.special
	uncited := sensitive.uncited(flow, "special", _kinds)
	subject := {"fields": sort(uncited.fields), "missing": sort(uncited.missing)}
	finding := result.finding_with_fix(
		rego.metadata.chain(), flow, subject,
		"special_category_data.exception_missing", object.union(subject, {"flow": flow.id}),
		"legal_basis", {"bases": catalogue.required_bases(uncited.row, flow)},
	)
}

# The kinds of basis a row requires because the flow carries special-category data: the art. 9(2) exceptions and
# their VV 2000 conditions, vw_107a (the national ground for special and criminal data) and vw_107_2_a.
_kinds := {"special", "special_or_criminal", "biometric"}
