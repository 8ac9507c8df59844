#' Spike times of neurons in the pedal ganglion of *Aplysia*
#'
#' Spike times of every neuron recorded simultaneously in the pedal ganglion
#' of the sea slug *Aplysia californica* during a locomotion programme evoked
#' by stimulating a pedal nerve, in three preparations. The recordings are
#' voltage-sensitive-dye imaging with spike sorting; each lasts about 122.7 s
#' (the times run from 0 to the end of the recording).
#'
#' @format A data frame with 47,648 rows, one per spike, sorted by recording,
#'   neuron and time, and 3 columns:
#'   \describe{
#'     \item{`recording`}{factor: the preparation, `"Jun0214da01"` (136
#'       neurons, 23,681 spikes), `"Nov0514da01"` (75 neurons, 13,075 spikes)
#'       or `"Sep2914da01"` (83 neurons, 10,892 spikes);}
#'     \item{`neuron`}{integer: the neuron id within its recording, from 1 to
#'       the number of neurons (ids are not shared across recordings);}
#'     \item{`time_s`}{numeric: the spike time in seconds from the start of
#'       the recording.}
#'   }
#'   [bin_spikes()] turns one recording into a neurons x bins count matrix.
#' @source Bruno AM, Frost WN, Humphries MD (2017). A spiral attractor
#'   network drives rhythmic locomotion. *eLife* 6:e27342.
#'   \doi{10.7554/eLife.27342}. The spike times are from the authors' public
#'   repository AplysiaAttractorAnalysis, distributed under the MIT licence
#'   (copyright the authors); they are redistributed here unchanged except
#'   for the layout (one table for the three recordings).
#' @seealso [bin_spikes()]; `vignette("spikes", package = "betanmf")`.
#' @examples
#' table(aplysia$recording)
#' jun <- aplysia[aplysia$recording == "Jun0214da01", ]
#' counts <- bin_spikes(jun$neuron, jun$time_s, width = 0.5)
#' dim(counts)
"aplysia"

#' Mutation counts of 21 breast cancer genomes in 96 trinucleotide contexts
#'
#' Somatic single-base substitutions of 21 breast cancer whole genomes,
#' counted in the 96 classes defined by the substitution (C>A, C>G, C>T,
#' T>A, T>C, T>G, as the pyrimidine of the mutated base pair) and the bases
#' 5' and 3' of it. The original analysis found five mutational processes
#' (its signatures A to E), in today's COSMIC terms mainly SBS1, SBS2, SBS3,
#' SBS5 and SBS13.
#'
#' @format An integer matrix of 96 rows (contexts) and 21 columns (samples
#'   `PD3851a` to `PD4248a`), the layout of the mutation matrices of the
#'   MutationalPatterns package: rows named `"A[C>A]A"` (5' base,
#'   substitution, 3' base) in the order of the COSMIC catalogs
#'   (substitution, then 5' base, then 3' base), so the rows match
#'   `MutationalPatterns::get_known_signatures()` one to one.
#' @source Nik-Zainal S, Alexandrov LB, Wedge DC, et al. (2012). Mutational
#'   processes molding the genomes of 21 breast cancers. *Cell* 149:979-993.
#'   \doi{10.1016/j.cell.2012.04.024}. The counts are as redistributed in the
#'   Bioconductor package signeR, under the GNU General Public License
#'   version 3 (compatible with the licence of this package, GPL >= 3);
#'   transposed and with contexts renamed from `"C>A:ACA"` to `"A[C>A]A"`.
#' @seealso `vignette("signatures", package = "betanmf")`.
#' @examples
#' dim(breast21)
#' colSums(breast21)[1:5]
#' # the share of each substitution class
#' round(tapply(rowSums(breast21), substr(rownames(breast21), 3, 5), sum) /
#'   sum(breast21), 3)
"breast21"
