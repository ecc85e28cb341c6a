# Names vulture reports as unused that are used, each with the reason. Read by vulture only
# (`make lint`), never imported; `_` stands for any object.
# ruff: noqa

# pydantic reads these: the model configuration and a validator registered by its decorator.
_.model_config
_._lists_follow_turn_order
# Validated from the observation for the clock (the judge's overage left in this game).
_.remaining_overage_time
# Written into reports with dataclasses.asdict: per-call and per-game JSON, baseline fallbacks.
_.prompt_tokens
_.last_guess
_.question_fallbacks
_.guess_fallbacks
_.answer_fallbacks
# A model card's fields, written to models/cards/*.json and read by people (llm20q models).
_.accuracy_by_kind
# Per-game rows of llm20q eval-partners (PartnerGame), read back from the asdict JSON.
_.alphabetical_questions
_.confident_round
_.final_p_protocol
# ctypes structure fields that llama.cpp reads (llama_context_params, llama_batch; the raw
# Llama's n_tokens in the overhead benchmark) and tarfile / zipfile header fields written to
# the archive: assigned for their side effect.
_.n_ubatch, _.kv_unified, _.n_threads_batch, _.no_perf, _.flash_attn_type, _.n_tokens
_.compress_type, _.external_attr, _.uid, _.gid, _.uname, _.gname
# Kaggle calls the last callable of main.py.
_.agent_fn
# The posterior's top candidates with probabilities: tests read it to check the posterior.
_.ranked
# Settings choices read from the environment / keyword arguments (LLM20Q_ANSWERER_PROMPT=chat).
_.CHAT
# PlannerConfig.from_settings reads every planner_<field> setting by name (getattr).
_.planner_handshake, _.planner_noise_table, _.planner_noise_lexical, _.planner_noise_alpha
_.planner_protocol_prior, _.planner_handshake_false_yes, _.planner_partner_value
_.planner_endgame_rounds, _.planner_outside_prior, _.planner_coined
_.planner_yes_bias_grid, _.planner_yes_bias_prior, _.planner_bayes_spelling
_.planner_llm_partner_prior
# Part of the question-kind contract (agent.kinds.base): whether a person takes the question
# well; tests read it, the play commands are to (issue 18).
_.natural_to_ask
# A review aid of the readings (llm20q.kb.readings.rules): the synset names WordNet lacks; a
# unit test keeps it empty for the full WordNet.
_.unresolved
