# Builds the data sets shipped in data/ from the public files kept in
# ../shared/data (see its README for the sources and licences).
# Run from the root of the package:  Rscript data-raw/make_data.R

source_dir <- file.path("..", "shared", "data")
stopifnot(dir.exists(source_dir))

# --- aplysia: spike times of three recordings --------------------------------
# Bruno, Frost & Humphries (2017) eLife 6:e27342; MIT licence. One row per
# spike, sorted by recording, neuron and time.
files <- sort(list.files(file.path(source_dir, "aplysia"), pattern = "_spikes[.]csv$",
                         full.names = TRUE))
aplysia <- do.call(rbind, lapply(files, function(f) {
  d <- utils::read.csv(f)
  stopifnot(identical(names(d), c("neuron", "time_s")), !anyNA(d),
            all(d$neuron == round(d$neuron)), all(d$time_s >= 0))
  data.frame(recording = sub("_spikes[.]csv$", "", basename(f)),
             neuron = as.integer(d$neuron), time_s = as.numeric(d$time_s))
}))
aplysia$recording <- factor(aplysia$recording)
aplysia <- aplysia[order(aplysia$recording, aplysia$neuron, aplysia$time_s), ]
rownames(aplysia) <- NULL

# --- breast21: 96-context SBS counts of 21 breast cancers ---------------------
# Nik-Zainal et al. (2012) Cell 149:979, as redistributed in signeR (GPL-3).
# The file has samples in rows and contexts named "C>A:ACA" in columns; the
# data set has contexts in rows, named as MutationalPatterns names them
# ("A[C>A]A": 5' base, substitution, 3' base), and samples in columns.
tsv <- utils::read.delim(file.path(source_dir, "breast21", "breast21_sbs96.tsv"),
                         row.names = 1, check.names = FALSE)
stopifnot(dim(tsv) == c(21L, 96L), all(as.matrix(tsv) == round(as.matrix(tsv))))
context_name <- function(tsv_name) {
  # "C>A:ACA" -> "A[C>A]A"
  sub <- substr(tsv_name, 1L, 3L)
  tri <- substr(tsv_name, 5L, 7L)
  stopifnot(substr(tri, 2L, 2L) == substr(sub, 1L, 1L))
  paste0(substr(tri, 1L, 1L), "[", sub, "]", substr(tri, 3L, 3L))
}
breast21 <- t(as.matrix(tsv))
storage.mode(breast21) <- "integer"
rownames(breast21) <- context_name(colnames(tsv))
# the COSMIC order: substitution, then 5' base, then 3' base
key <- order(substr(rownames(breast21), 3L, 5L), substr(rownames(breast21), 1L, 1L),
             substr(rownames(breast21), 7L, 7L))
breast21 <- breast21[key, ]
names(dimnames(breast21)) <- NULL

save(aplysia, file = file.path("data", "aplysia.rda"), compress = "xz")
save(breast21, file = file.path("data", "breast21.rda"), compress = "xz")
message(sprintf("aplysia: %d spikes, %d recordings, %.0f kB; breast21: %d x %d, %.0f kB",
                nrow(aplysia), nlevels(aplysia$recording),
                file.size(file.path("data", "aplysia.rda")) / 1024,
                nrow(breast21), ncol(breast21),
                file.size(file.path("data", "breast21.rda")) / 1024))
