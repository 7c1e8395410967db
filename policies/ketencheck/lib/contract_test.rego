package ketencheck.lib.contract_test

import data.ketencheck.lib.catalogue

# The catalogue is normative: the tables of the pack's specification (v1.1), transcribed here; docs/pack.md renders them.
# A change to the matrix or to a field's category must change this test too, so it is never accidental.

_matrix := {
	{"recipients": ["COA"], "documents": ["beschikking_afwijzend"], "purpose": "einde_opvang", "form": "extract", "fields": ["besluitdatum", "dublin_claimant", "inreisverbod_geldt", "rechtmatig_verblijf", "schorsende_werking", "uitstel_vertrek", "v_nummer", "verblijfsgrond", "vertrekplicht", "vertrektermijn_einddatum"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["vertrekbesluit"], "purpose": "einde_opvang", "form": "extract", "fields": ["besluitdatum", "inreisverbod_geldt", "v_nummer", "vertrekplicht", "vertrektermijn_einddatum"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["beschikking_toewijzend"], "purpose": "huisvesting_vergunninghouders", "form": "extract", "fields": ["besluitdatum", "geboortedatum", "gezinssamenstelling", "naam", "rechtmatig_verblijf", "v_nummer", "verblijfsgrond", "verblijfsgrond_asiel", "vergunning_geldigheid"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["voornemen_afwijzing"], "purpose": "opvang", "form": "extract", "fields": ["besluitdatum", "procesgebeurtenis", "v_nummer"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["leeftijdsonderzoek"], "purpose": "opvang", "form": "extract", "fields": ["geboortedatum", "minderjarig", "v_nummer"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["dwangsom_betaling"], "purpose": "eigen_bijdrage", "form": "extract", "fields": ["besluitdatum", "dwangsom_bedrag", "v_nummer"], "bases": ["avg_6_1_c", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["COA"], "documents": ["signaal_opvangbehoefte"], "purpose": "bijzondere_opvangbehoeften", "form": "extract", "fields": ["bijzondere_opvangbehoefte", "v_nummer"], "bases": ["avg_6_1_e", "avg_9_2_a", "rva_18a"], "channel": null},
	{"recipients": ["DTV"], "documents": ["beschikking_afwijzend"], "purpose": "terugkeer", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vv_7_1b", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DTV"], "documents": ["vertrekbesluit"], "purpose": "terugkeer", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["DTV"], "documents": ["inreisverbod"], "purpose": "terugkeer", "form": "integral", "fields": [], "bases": ["avg_10", "avg_6_1_c", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DTV"], "documents": ["identiteitsdocumenten"], "purpose": "terugkeer", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vv_7_1b", "vw_107_2_a", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DTV"], "documents": ["dublin_claim"], "purpose": "terugkeer", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vv_7_1b", "vw_107_2_a", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DTV"], "documents": ["nader_gehoor"], "purpose": "terugkeer", "form": "extract", "fields": ["naam", "nationaliteit", "reisroute", "v_nummer"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["beschikking_afwijzend"], "purpose": "vreemdelingentoezicht", "form": "extract", "fields": ["geboortedatum", "inreisverbod_geldt", "naam", "rechtmatig_verblijf", "v_nummer", "vertrekplicht", "vertrektermijn_einddatum"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["vertrekbesluit"], "purpose": "vreemdelingentoezicht", "form": "extract", "fields": ["inreisverbod_geldt", "naam", "v_nummer", "vertrekplicht", "vertrektermijn_einddatum"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["inreisverbod"], "purpose": "vreemdelingentoezicht", "form": "integral", "fields": [], "bases": ["avg_10", "avg_6_1_c", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["meldplicht_besluit"], "purpose": "vreemdelingentoezicht", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["dublin_claim"], "purpose": "vreemdelingentoezicht", "form": "extract", "fields": ["dublin_claimant", "naam", "overdrachtstermijn", "v_nummer"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["AVIM", "KMAR"], "documents": ["identiteitsdocumenten"], "purpose": "vreemdelingentoezicht", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vv_7_1b", "vw_107_2_a", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DJI"], "documents": ["maatregel_bewaring"], "purpose": "bewaring", "form": "integral", "fields": [], "bases": ["avg_10", "avg_6_1_c", "vw_107_4", "vw_107a"], "channel": null},
	{"recipients": ["DJI"], "documents": ["vertrekbesluit"], "purpose": "bewaring", "form": "extract", "fields": ["naam", "v_nummer", "vertrekplicht", "vertrektermijn_einddatum"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["BMA"], "documents": ["medisch_advies"], "purpose": "medische_advisering", "form": "integral", "fields": [], "bases": ["avg_6_1_e", "avg_9_2_a", "vv_7_1c"], "channel": null},
	{"recipients": ["BMA"], "documents": ["adviesaanvraag_medisch"], "purpose": "medische_advisering", "form": "integral", "fields": [], "bases": ["avg_6_1_e", "avg_9_2_a", "vv_7_1c"], "channel": "schriftelijk"},
	{"recipients": ["BZ"], "documents": ["nader_gehoor"], "purpose": "ambtsbericht_onderzoek", "form": "extract", "fields": ["asielmotief", "naam", "nationaliteit", "v_nummer"], "bases": ["avg_6_1_e", "vv_7_1c", "vw_107a"], "channel": "schriftelijk"},
	{"recipients": ["ADVOCAAT"], "documents": ["*"], "purpose": "rechtsbijstand", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "vb_3_109a"], "channel": null},
	{"recipients": ["NIDOS"], "documents": ["*"], "purpose": "voogdij", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "bw_1_302"], "channel": null},
	{"recipients": ["RECHTER"], "documents": ["*"], "purpose": "rechterlijke_toetsing", "form": "integral", "fields": [], "bases": ["avg_6_1_c", "avg_9_2_f", "awb_8_42"], "channel": null},
	{"recipients": ["RVR"], "documents": ["beschikking_afwijzend", "voornemen_afwijzing"], "purpose": "rechtsbijstand", "form": "extract", "fields": ["besluitdatum", "naam", "procesgebeurtenis", "v_nummer"], "bases": ["avg_6_1_c", "vw_107_4"], "channel": null},
	{"recipients": ["GEMEENTE"], "documents": ["beschikking_toewijzend"], "purpose": "brp_inschrijving", "form": "extract", "fields": ["geboortedatum", "geslacht", "gezinssamenstelling", "naam", "nationaliteit", "rechtmatig_verblijf", "v_nummer", "verblijfsgrond", "vergunning_geldigheid"], "bases": ["avg_6_1_c", "vb_8_1", "vw_107_4", "wet_brp"], "channel": null},
	{"recipients": ["GEMEENTE"], "documents": ["beschikking_toewijzend"], "purpose": "huisvesting_vergunninghouders", "form": "extract", "fields": ["geboortedatum", "gezinssamenstelling", "naam", "v_nummer", "vergunning_geldigheid"], "bases": ["avg_6_1_c", "huisvestingswet_28", "vv_7_1e", "vw_107_4"], "channel": null},
	{"recipients": ["SVB", "UWV"], "documents": ["beschikking_afwijzend", "beschikking_toewijzend"], "purpose": "koppeling_voorzieningen", "form": "extract", "fields": ["rechtmatig_verblijf", "v_nummer", "verblijfsgrond", "vergunning_geldigheid"], "bases": ["avg_6_1_c", "vb_8_1", "vw_107_4"], "channel": null},
	{"recipients": ["IND"], "documents": ["correcties_aanvullingen", "zienswijze"], "purpose": "asielbeoordeling", "form": "integral", "fields": [], "bases": ["avg_6_1_e", "avg_9_2_g", "vw_107a"], "channel": null},
	{"recipients": ["IND"], "documents": ["medisch_advies"], "purpose": "asielbeoordeling", "form": "integral", "fields": [], "bases": ["avg_6_1_e", "avg_9_2_g", "vw_107a"], "channel": null},
	{"recipients": ["IND"], "documents": ["ambtsbericht_individueel"], "purpose": "asielbeoordeling", "form": "integral", "fields": [], "bases": ["avg_10", "avg_6_1_e", "avg_9_2_g", "vw_107_7", "vw_107a"], "channel": null},
}

_categories := {"v_nummer": "national_id", "dublin_claimant": "ordinary", "bsn": "national_id", "overdrachtstermijn": "ordinary", "naam": "ordinary", "meldplicht": "ordinary", "geboortedatum": "ordinary", "maatregel_bewaring": "ordinary", "geslacht": "ordinary", "bewaringsgronden": "criminal", "nationaliteit": "ordinary", "minderjarig": "ordinary", "gezinssamenstelling": "ordinary", "leeftijdsonderzoek_uitkomst": "ordinary", "reisroute": "ordinary", "dwangsom_bedrag": "ordinary", "procesgebeurtenis": "ordinary", "asielmotief": "special", "besluitdatum": "ordinary", "geloofwaardigheidsbeoordeling": "special", "rechtmatig_verblijf": "ordinary", "motivering": "special", "verblijfsgrond": "ordinary", "medische_gegevens": "special", "verblijfsgrond_asiel": "ordinary", "biometrie": "special", "vergunning_geldigheid": "ordinary", "etniciteit": "special", "vertrektermijn_einddatum": "ordinary", "religie": "special", "vertrekplicht": "ordinary", "seksuele_gerichtheid": "special", "schorsende_werking": "ordinary", "politieke_opvatting": "special", "uitstel_vertrek": "ordinary", "taalanalyse_uitkomst": "special", "uitstel_vertrek_grond": "special", "bijzondere_opvangbehoefte": "special", "inreisverbod_geldt": "ordinary", "strafrechtelijke_gegevens": "criminal", "inreisverbod_grond": "criminal"}

_encoded := {row_summary |
	some row in catalogue.rows
	row_summary := {
		"recipients": sort(row.recipients),
		"documents": sort(row.documents),
		"purpose": row.purpose,
		"form": row.form,
		"fields": sort(object.get(row, "fields", [])),
		"bases": sort(row.bases),
		"channel": object.get(row, "channel", null),
	}
}

test_the_matrix_is_domain_md_row_for_row if {
	_encoded == _matrix
}

test_every_field_has_the_category_of_domain_md if {
	{name: field.category | some name, field in catalogue.fields} == _categories
}

# The documents table: originator and fields, in the specification's order (integral means every field listed).
_documents := {
	"aanmeldgehoor": {"originator": "IND", "fields": ["v_nummer", "naam", "geboortedatum", "nationaliteit", "gezinssamenstelling", "reisroute", "asielmotief"]},
	"nader_gehoor": {"originator": "IND", "fields": ["v_nummer", "naam", "nationaliteit", "reisroute", "asielmotief", "religie", "seksuele_gerichtheid", "politieke_opvatting", "etniciteit", "medische_gegevens"]},
	"correcties_aanvullingen": {"originator": "ADVOCAAT", "fields": ["v_nummer", "naam", "nationaliteit", "reisroute", "asielmotief", "religie", "seksuele_gerichtheid", "politieke_opvatting", "etniciteit", "medische_gegevens"]},
	"voornemen_afwijzing": {"originator": "IND", "fields": ["v_nummer", "naam", "besluitdatum", "procesgebeurtenis", "asielmotief", "geloofwaardigheidsbeoordeling", "motivering"]},
	"zienswijze": {"originator": "ADVOCAAT", "fields": ["v_nummer", "naam", "asielmotief", "geloofwaardigheidsbeoordeling", "medische_gegevens"]},
	"beschikking_toewijzend": {"originator": "IND", "fields": ["v_nummer", "naam", "geboortedatum", "geslacht", "nationaliteit", "gezinssamenstelling", "besluitdatum", "rechtmatig_verblijf", "verblijfsgrond", "verblijfsgrond_asiel", "vergunning_geldigheid", "asielmotief", "motivering"]},
	"beschikking_afwijzend": {"originator": "IND", "fields": ["v_nummer", "naam", "geboortedatum", "geslacht", "nationaliteit", "besluitdatum", "rechtmatig_verblijf", "verblijfsgrond", "vertrektermijn_einddatum", "vertrekplicht", "schorsende_werking", "uitstel_vertrek", "inreisverbod_geldt", "dublin_claimant", "asielmotief", "geloofwaardigheidsbeoordeling", "motivering"]},
	"medisch_advies": {"originator": "BMA", "fields": ["v_nummer", "naam", "medische_gegevens", "uitstel_vertrek_grond"]},
	"identiteitsdocumenten": {"originator": "IND", "fields": ["v_nummer", "naam", "geboortedatum", "geslacht", "nationaliteit", "biometrie"]},
	"vertrekbesluit": {"originator": "IND", "fields": ["v_nummer", "naam", "besluitdatum", "vertrekplicht", "vertrektermijn_einddatum", "inreisverbod_geldt"]},
	"inreisverbod": {"originator": "IND", "fields": ["v_nummer", "naam", "inreisverbod_geldt", "inreisverbod_grond"]},
	"maatregel_bewaring": {"originator": "IND", "fields": ["v_nummer", "naam", "maatregel_bewaring", "bewaringsgronden"]},
	"meldplicht_besluit": {"originator": "IND", "fields": ["v_nummer", "naam", "meldplicht"]},
	"dublin_claim": {"originator": "IND", "fields": ["v_nummer", "naam", "dublin_claimant", "overdrachtstermijn", "reisroute", "biometrie"]},
	"leeftijdsonderzoek": {"originator": "IND", "fields": ["v_nummer", "naam", "geboortedatum", "minderjarig", "leeftijdsonderzoek_uitkomst", "medische_gegevens"]},
	"taalanalyse": {"originator": "IND", "fields": ["v_nummer", "naam", "nationaliteit", "taalanalyse_uitkomst", "etniciteit"]},
	"ambtsbericht_individueel": {"originator": "BZ", "fields": ["v_nummer", "naam", "asielmotief", "strafrechtelijke_gegevens"]},
	"dwangsom_betaling": {"originator": "IND", "fields": ["v_nummer", "naam", "besluitdatum", "dwangsom_bedrag"]},
	"signaal_opvangbehoefte": {"originator": "IND", "fields": ["v_nummer", "naam", "bijzondere_opvangbehoefte", "medische_gegevens"]},
	"adviesaanvraag_medisch": {"originator": "IND", "fields": ["v_nummer", "naam", "medische_gegevens"]},
}

test_every_document_has_the_originator_and_fields_of_domain_md if {
	{id: {"originator": d.originator, "fields": d.fields} | some id, d in catalogue.documents} == _documents
}

# The partners table: whether each partner is a bestuursorgaan (Awb art. 1:1), which decides the law
# no_need_to_know cites.
_bestuursorganen := {
	"IND": true,
	"COA": true,
	"DTV": true,
	"AVIM": true,
	"KMAR": true,
	"BZ": true,
	"DJI": true,
	"NIDOS": false,
	"RVR": true,
	"ADVOCAAT": false,
	"VWN": false,
	"GEMEENTE": true,
	"GGD": true,
	"GZA": false,
	"BMA": true,
	"RECHTER": false,
	"UWV": true,
	"SVB": true,
}

test_every_partner_is_a_bestuursorgaan_or_not_as_in_domain_md if {
	{id: p.bestuursorgaan | some id, p in catalogue.partners} == _bestuursorganen
}

# The legal bases table: the ids, and when each is required (its kind, from the matrix rules of the specification).
_kinds := {
	"avg_6_1_c": "general",
	"avg_6_1_e": "general",
	"avg_9_2_a": "special",
	"avg_9_2_f": "special",
	"avg_9_2_g": "special",
	"avg_10": "criminal",
	"vw_107_4": "general",
	"vw_107_2_a": "biometric",
	"vw_107_7": "general",
	"vw_107a": "special_or_criminal",
	"vv_7_1b": "special",
	"vv_7_1c": "special",
	"vv_7_1e": "general",
	"vb_3_109a": "general",
	"vb_8_1": "general",
	"bw_1_302": "general",
	"awb_8_42": "general",
	"wet_brp": "general",
	"huisvestingswet_28": "general",
	"rva_18a": "general",
}

test_every_legal_basis_of_domain_md_with_its_kind if {
	{id: b.kind | some id, b in catalogue.legal_bases} == _kinds
}

# The purposes table: whose task each purpose is.
_purposes := {
	"asielbeoordeling": ["IND"],
	"opvang": ["COA"],
	"einde_opvang": ["COA"],
	"huisvesting_vergunninghouders": ["COA", "GEMEENTE"],
	"bijzondere_opvangbehoeften": ["COA"],
	"eigen_bijdrage": ["COA"],
	"terugkeer": ["DTV"],
	"vreemdelingentoezicht": ["AVIM", "KMAR"],
	"bewaring": ["DJI"],
	"voogdij": ["NIDOS"],
	"rechtsbijstand": ["ADVOCAAT", "RVR"],
	"rechterlijke_toetsing": ["RECHTER"],
	"brp_inschrijving": ["GEMEENTE"],
	"medische_advisering": ["BMA"],
	"koppeling_voorzieningen": ["SVB", "UWV"],
	"ambtsbericht_onderzoek": ["BZ"],
}

test_every_purpose_belongs_to_the_partners_of_domain_md if {
	{id: sort(p.partners) | some id, p in catalogue.purposes} == _purposes
}

# No statute sets a storage maximum for any purpose of this pack: every maximum is a pack default.
test_no_retention_maximum_claims_to_be_set_by_law if {
	every _, p in catalogue.purposes { p.retention.verified == false }
}
