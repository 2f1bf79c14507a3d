// The whole public API of copydesk in one include, in pipeline order: text -> shingle -> minhash
// -> lsh / containment -> dedup; tfidf -> stories; borrow; io at the side; pipeline, the
// archive, the writers and the server last. Link copydesk::core (CMake) or
// `pkg-config --libs copydesk`.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/output.hpp>
#include <copydesk/types.hpp>
#include <copydesk/version.hpp>

#include <copydesk/dist.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/text.hpp>

#include <copydesk/shingle.hpp>
#include <copydesk/signals.hpp>

#include <copydesk/minhash.hpp>

#include <copydesk/containment.hpp>
#include <copydesk/lsh.hpp>

#include <copydesk/io.hpp>

#include <copydesk/dedup.hpp>

#include <copydesk/cluster.hpp>
#include <copydesk/tfidf.hpp>

#include <copydesk/stories.hpp>

#include <copydesk/borrow.hpp>

#include <copydesk/metrics.hpp>

#include <copydesk/pipeline.hpp>

#include <copydesk/archive.hpp>

#include <copydesk/writers.hpp>

#include <copydesk/serve.hpp>
