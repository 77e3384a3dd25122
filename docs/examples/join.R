# Join Slant's articles table to your own coding on your ids, in base R.
# Usage:
#   Rscript join.R results/slant-export-articles.csv
args <- commandArgs(trailingOnly = TRUE)
# Keep ids as text, and the column names as Slant wrote them.
articles <- read.csv(args[1], colClasses = c(external_id = "character"), check.names = FALSE)
cat(nrow(articles), "articles,", ncol(articles), "columns\n")
# Booleans are written true/false; numbers as they were in your file.
articles$meta_paywalled <- as.logical(articles$meta_paywalled)
print(articles[, c("external_id", "outlet", "meta_lean", "meta_paywalled", "meta_wordcount", "loaded_index")])
# Your own data, keyed by the same ids (here typed in; usually read.csv of your file).
mine <- data.frame(id = c("HV-001", "HV-002", "HV-003"), coder_score = c(1, 3, 4))
joined <- merge(mine, articles, by.x = "id", by.y = "external_id")
print(joined[, c("id", "coder_score", "loaded_index")])
cat("correlation of your score with loaded_index:", round(cor(joined$coder_score, joined$loaded_index), 3), "\n")
