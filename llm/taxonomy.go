package llm

// BiasType is one kind of slant a sentence can show, from a fixed
// taxonomy; the model may answer nothing else.
type BiasType string

// The taxonomy. TypeNone means the sentence reads as neutral reporting.
const (
	TypeWordChoice      BiasType = "word_choice_labelling"
	TypeSensationalism  BiasType = "sensationalism"
	TypeUnsubstantiated BiasType = "unsubstantiated_claim"
	TypeOpinionAsFact   BiasType = "opinion_as_fact"
	TypeOneSided        BiasType = "one_sided_sourcing"
	TypeSpeculation     BiasType = "speculation"
	TypePersonalAttack  BiasType = "personal_attack"
	TypeNone            BiasType = "none"
)

// Types returns every bias type in a fixed order, TypeNone last.
func Types() []BiasType {
	return []BiasType{
		TypeWordChoice, TypeSensationalism, TypeUnsubstantiated, TypeOpinionAsFact,
		TypeOneSided, TypeSpeculation, TypePersonalAttack, TypeNone,
	}
}

// Valid reports whether t is one of Types.
func (t BiasType) Valid() bool {
	return t.Description() != ""
}

// Biased reports whether t is a bias type other than TypeNone.
func (t BiasType) Biased() bool { return t.Valid() && t != TypeNone }

// Description explains the type in plain words, for the model's
// instructions and for readers of the page. It is "" for an unknown type.
func (t BiasType) Description() string {
	switch t {
	case TypeWordChoice:
		return "Loaded words or labels that judge people, groups or events instead of describing them."
	case TypeSensationalism:
		return "Dramatic, exaggerated or emotional wording that makes the event sound bigger or scarier than the facts given."
	case TypeUnsubstantiated:
		return "A claim of fact stated with no source, evidence or attribution where one is needed."
	case TypeOpinionAsFact:
		return "The writer's own opinion or judgement presented as if it were an established fact."
	case TypeOneSided:
		return "Only one side's view or sources are given on a point where others are affected or disagree."
	case TypeSpeculation:
		return "Guesses about motives, hidden causes or what will happen, presented without basis."
	case TypePersonalAttack:
		return "Attacks a person's character or motives instead of reporting what they did or said."
	case TypeNone:
		return "Neutral, factual reporting, including opinions clearly attributed to a named speaker."
	}
	return ""
}
