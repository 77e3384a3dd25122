package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"slant/evaluation"
)

func TestExplainDatasets(t *testing.T) {
	all := evaluation.AllDatasets()
	tests := []struct {
		name    string
		list    string
		running []evaluation.Dataset
		want    []evaluation.Dataset
		err     string
	}{
		{"none", "", all, nil, ""},
		{"all of those running", "all", []evaluation.Dataset{evaluation.Babe, evaluation.WNC, evaluation.FramingSemEval}, []evaluation.Dataset{evaluation.Babe, evaluation.FramingSemEval}, ""},
		{"a framing set", "framing_gvfc", all, []evaluation.Dataset{evaluation.FramingGVFC}, ""},
		{"not explainable", "wnc", all, nil, "--explain works on basil and babe"},
		{"not running", "framing_gvfc", []evaluation.Dataset{evaluation.Babe}, nil, "framing_gvfc is not in --dataset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := explainDatasets(tt.list, tt.running)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
