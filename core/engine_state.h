/* Placeholder until the engine lands: the state struct of core/engine.h. */
#ifndef KESTREL_CORE_ENGINE_STATE_H
#define KESTREL_CORE_ENGINE_STATE_H
typedef struct engine {
    const cfg_t *cfg;
} engine_t;
#endif
